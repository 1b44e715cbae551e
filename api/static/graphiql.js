// GraphiQL on this server's own copies of its scripts. Every data query needs a bearer
// token: `make demo` prints some, and `assetbridge auth token` issues more.
"use strict";

(function () {
  const START = [
    "# assetbridge: paste a token into the Headers tab below, as",
    '#   {"Authorization": "Bearer <token>"}',
    "# A caseworker's own people (supported by their organisation, or sharing with it):",
    "{",
    "  people(filter: {mine: true}, first: 5) {",
    "    totalCount",
    "    edges { node { id stage supportedBy { organisation { name } } } }",
    "  }",
    "}",
    "",
  ].join("\n");

  const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: START,
      defaultHeaders: '{"Authorization": "Bearer "}',
      defaultEditorToolsVisibility: "headers",
      isHeadersEditorEnabled: true,
      // A token is a credential: not kept in localStorage for whoever uses the browser next.
      shouldPersistHeaders: false,
    }),
  );
})();
