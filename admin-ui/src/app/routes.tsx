/**
 * @module The screens and their URLs. The overview loads with the app; every other screen is its own
 * chunk (loaded on first visit) so the first load stays small. Each screen lives in its own folder and
 * exports a named component: replace the placeholder there, not here.
 */
import { lazy, Suspense } from "react";
import { Redirect, Route, Switch } from "wouter";
import { LoginPage } from "../auth/LoginPage.js";
import { RequireAuth } from "../auth/RequireAuth.js";
import { SetupPage } from "../auth/SetupPage.js";
import { Placeholder } from "../components/Placeholder.js";
import { FlagsOverview } from "../overview/FlagsOverview.js";
import { Layout } from "./Layout.js";

const FlagPage = lazy(() => import("../flag/FlagPage.js").then((m) => ({ default: m.FlagPage })));
const SegmentsPage = lazy(() =>
  import("../segments/SegmentsPage.js").then((m) => ({ default: m.SegmentsPage })),
);
const HistoryPage = lazy(() => import("../history/HistoryPage.js").then((m) => ({ default: m.HistoryPage })));
const EnvironmentsPage = lazy(() =>
  import("../environments/EnvironmentsPage.js").then((m) => ({ default: m.EnvironmentsPage })),
);
const KeysPage = lazy(() => import("../keys/KeysPage.js").then((m) => ({ default: m.KeysPage })));
const UsersPage = lazy(() => import("../users/UsersPage.js").then((m) => ({ default: m.UsersPage })));
const IncidentPage = lazy(() => import("../kill/IncidentPage.js").then((m) => ({ default: m.IncidentPage })));
const UsagePage = lazy(() => import("../usage/UsagePage.js").then((m) => ({ default: m.UsagePage })));
const ReleasePage = lazy(() => import("../release/ReleasePage.js").then((m) => ({ default: m.ReleasePage })));
const ChangeRequestsPage = lazy(() =>
  import("../change-requests/ChangeRequestsPage.js").then((m) => ({ default: m.ChangeRequestsPage })),
);
const ChangelogPage = lazy(() =>
  import("../changelog/ChangelogPage.js").then((m) => ({ default: m.ChangelogPage })),
);
const FreezesPage = lazy(() => import("../freezes/FreezesPage.js").then((m) => ({ default: m.FreezesPage })));

/** Route params arrive percent-encoded from the URL; flag keys never contain `%` of their own. */
const decode = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

function SignedInRoutes() {
  return (
    <RequireAuth>
      <Layout>
        <Suspense
          fallback={
            <div className="page loading" aria-busy="true">
              <span className="visually-hidden">Loading…</span>
            </div>
          }
        >
          <Switch>
            <Route path="/flags" component={FlagsOverview} />
            <Route path="/flags/:key">{(params) => <FlagPage flagKey={decode(params.key)} />}</Route>
            {/* `/*?` also matches sub-pages (`/segments/production/beta-testers`) for the screen to read. */}
            <Route path="/segments/*?" component={SegmentsPage} />
            <Route path="/history/*?" component={HistoryPage} />
            <Route path="/environments/*?" component={EnvironmentsPage} />
            <Route path="/keys/*?" component={KeysPage} />
            <Route path="/users/*?" component={UsersPage} />
            <Route path="/usage/*?" component={UsagePage} />
            <Route path="/release" component={ReleasePage} />
            <Route path="/change-requests" component={ChangeRequestsPage} />
            <Route path="/freezes" component={FreezesPage} />
            <Route path="/changelog" component={ChangelogPage} />
            <Route path="/incident" component={IncidentPage} />
            <Route path="/">
              <Redirect to="/flags" replace />
            </Route>
            <Route>
              <Placeholder title="Not found">There is no page at this address.</Placeholder>
            </Route>
          </Switch>
        </Suspense>
      </Layout>
    </RequireAuth>
  );
}

export function AppRoutes() {
  return (
    <Switch>
      <Route path="/login" component={LoginPage} />
      <Route path="/setup" component={SetupPage} />
      <Route>
        <SignedInRoutes />
      </Route>
    </Switch>
  );
}
