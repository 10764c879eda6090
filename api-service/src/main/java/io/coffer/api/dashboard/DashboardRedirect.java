package io.coffer.api.dashboard;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code /dashboard} opens the dashboard too: it redirects to {@code /dashboard/} (where the page
 * and its relative links live), keeping the query string so that deep links survive.
 */
@ApplicationScoped
class DashboardRedirect {

  void routes(@Observes Router router) {
    router
        .get("/dashboard")
        .handler(
            rc -> {
              if (!"/dashboard".equals(rc.request().path())) {
                rc.next();
                return;
              }
              String query = rc.request().query();
              rc.redirect("/dashboard/" + (query == null || query.isEmpty() ? "" : "?" + query));
            });
  }
}
