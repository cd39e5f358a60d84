import { graphql } from '../gql';

/** The signed-in person as the API sees them (name, role, clearance): shown in the shell's header. */
export const ShellMeQuery = graphql(`
  query ShellMe {
    me {
      id
      name
      role
      clearance
    }
  }
`);
