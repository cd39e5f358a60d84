import { postAccount, postAccountJson } from './session';

type PasskeyOutcome = 'SIGNED_IN' | 'REFUSED' | 'UNSUPPORTED';

/** The browser's WebAuthn API with the server's options (discoverable credentials: no e-mail asked first). */
export async function signInWithPasskey(): Promise<PasskeyOutcome> {
  if (typeof PublicKeyCredential === 'undefined' || typeof PublicKeyCredential.parseRequestOptionsFromJSON !== 'function') {
    return 'UNSUPPORTED';
  }
  let credential: Credential | null;
  try {
    const options = (await postAccountJson('/account/passkey/request-options', {})) as PublicKeyCredentialRequestOptionsJSON;
    credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
  } catch {
    return 'REFUSED';
  }
  if (!(credential instanceof PublicKeyCredential)) {
    return 'REFUSED';
  }
  const answer = await postAccount('/account/passkey/sign-in', { credential: JSON.stringify(credential.toJSON()) });
  return answer.status === 'SIGNED_IN' ? 'SIGNED_IN' : 'REFUSED';
}
