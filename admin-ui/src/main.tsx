/** @module Browser entry: mounts the app. */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { fetchEnvironments } from "./api/flags.js";
import { prefetchOverview } from "./api/overview.js";
import { createQueryClient, queryKeys } from "./api/query.js";
import { App } from "./app/App.js";
import "./styles.css";

const client = createQueryClient();
// The overview is the landing screen: ask for it alongside the session check rather than after it
// (logged out, the 401 sends the visitor to the login page as any other request would).
if (window.location.pathname === "/" || window.location.pathname === "/flags") {
  prefetchOverview(client);
  void client.prefetchQuery({ queryKey: queryKeys.environments, queryFn: fetchEnvironments });
}

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <App queryClient={client} />
  </StrictMode>,
);
