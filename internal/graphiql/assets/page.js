// GraphiQL over this server's API. The key goes in the Headers tab as
// {"Authorization": "Bearer wx_..."}; it is kept in this browser's local
// storage only. Subscriptions send the same header in connection_init,
// read when the page loads: reload after setting it.
(function () {
  var api = new URL("../query", location.href);
  var ws = new URL(api.href);
  ws.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  var headers = {};
  try {
    headers = JSON.parse(localStorage.getItem("graphiql:headers") || "{}") || {};
  } catch (e) {
    headers = {};
  }
  var fetcher = GraphiQL.createFetcher({
    url: api.href,
    subscriptionUrl: ws.href,
    wsConnectionParams: headers,
  });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultHeaders: '{\n  "Authorization": "Bearer <your API key>"\n}',
    defaultEditorToolsVisibility: "headers",
    shouldPersistHeaders: true,
    isHeadersEditorEnabled: true,
  }));
})();
