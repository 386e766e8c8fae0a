package com.emaileventhub.api;

import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * The HTTP header filter of the dashboard's routes: Camel's own, except that the Cache-Control header DashboardAssets
 * sets reaches the browser (Camel's HTTP filter drops it by default, with Pragma and the like).
 */
public final class DashboardHeaders extends HttpHeaderFilterStrategy {
    public DashboardHeaders() {
        getOutFilter().remove("cache-control");
    }
}
