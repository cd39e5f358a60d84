// Starts the GraphiQL IDE on the page build/web/graphiql.html (served at GET /graphql).
// Kept out of the HTML so that a Content-Security-Policy with script-src 'self' works.
// Globals from the UMD builds loaded before this file: React, ReactDOM, GraphiQL (3.x).
(function () {
  'use strict';

  var root = document.getElementById('graphiql');
  var endpoint = root.getAttribute('data-endpoint') || '/graphql';

  // Full-window layout; set through the CSSOM (allowed under a strict CSP,
  // unlike style="" attributes).
  [document.documentElement, document.body].forEach(function (el) {
    el.style.height = '100%';
    el.style.margin = '0';
    el.style.overflow = 'hidden';
  });
  root.style.height = '100vh';

  if (!window.React || !window.ReactDOM || !window.GraphiQL) {
    root.textContent =
      'GraphiQL assets are missing: run build/web-assets.sh (expected /graphiql/*.js).';
    return;
  }

  // Plain JSON POSTs (no multipart incremental delivery), asking for the
  // GraphQL-over-HTTP media type first. Header names are lower-case so that
  // they replace the toolkit's defaults instead of being merged with them.
  // Headers typed in the IDE's Headers tab (e.g. {"X-Api-Key": "..."}) are
  // added to every request by GraphiQL itself.
  var fetcher = GraphiQL.createFetcher({
    url: endpoint,
    enableIncrementalDelivery: false,
    headers: {
      accept: 'application/graphql-response+json, application/json'
    }
  });

  var defaultQuery =
    '# OMCT Platform GraphQL API\n' +
    '#\n' +
    '# API key: open the Headers tab below and enter\n' +
    '#   { "X-Api-Key": "your-key" }\n' +
    '#\n' +
    '# Run: Ctrl-Enter.  Complete: Ctrl-Space.\n' +
    '# Schema: the Docs button (left).\n' +
    '\n' +
    '{\n' +
    '  __typename\n' +
    '}\n';

  var element = React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: defaultQuery,
    isHeadersEditorEnabled: true,
    // keep API keys out of localStorage
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: 'headers'
  });

  root.textContent = '';
  if (ReactDOM.createRoot) {
    ReactDOM.createRoot(root).render(element);
  } else {
    ReactDOM.render(element, root);
  }
})();
