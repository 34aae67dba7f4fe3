/* Mount GraphiQL on /graphql/ with the vendored React and GraphiQL builds (nothing from a CDN).
   The endpoint comes from the page; send a token with the "Headers" tab:
   {"Authorization": "Bearer <token from tokenCreate>"}. */
(function () {
  "use strict";
  var root = document.getElementById("graphiql");
  var fetcher = window.GraphiQL.createFetcher({url: root.dataset.endpoint});
  var element = window.React.createElement(window.GraphiQL, {
    fetcher: fetcher,
    defaultEditorToolsVisibility: true,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
  });
  window.ReactDOM.createRoot(root).render(element);
})();
