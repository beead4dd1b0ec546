vcl 4.1;

# Varnish in front of claimtracker's gunicorn (docs/deploy.md, "An HTTP accelerator: Varnish with xkey").
#
# What it keeps: anonymous GET/HEAD answers the app marks shareable (Cache-Control: public, or
# s-maxage) and tags with what they show (the xkey header; Surrogate-Key or Cache-Tag are read
# too, whichever EDGE_CACHE_TAGS_HEADER names), for as long as s-maxage/max-age says. The purge
# worker (manage.py purge_edge_cache) sends `PURGE /` with `xkey-purge: <tags>` after every write,
# and the tagged copies go at once. Editors (a session cookie), the admin, forms, API clients
# with a key, and anything that sets a cookie go straight through, never stored.
#
# `make varnish` and the tests render this file with the backend's address: they rewrite the
# `.host` and `.port` lines of the backend below, so keep each on a line of its own.

import std;
import var;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    # Longer than gunicorn's own timeout (GUNICORN_TIMEOUT, 30 s): gunicorn gives up first.
    .first_byte_timeout = 35s;
}

# Who may purge: the purge worker, on this machine. Behind nginx every client also connects from
# here, so a PURGE must come straight from a purger: one that a proxy relayed carries the
# client's address in X-Forwarded-For and is refused.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers || req.http.X-Forwarded-For != "" + client.ip) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Name the tags to purge in the xkey-purge header"));
        }
        # Remembered before the purge: a fetch that started earlier may hold what is purged now,
        # and vcl_backend_response hands such a fetch out without keeping it.
        # Microseconds since 2023-11-14, as a string (vmod var's globals are strings; VCL reads
        # back an INT of up to 15 digits, a REAL of up to 12, and writes a REAL to milliseconds).
        var.global_set("purged_at", "" + std.integer(real=(std.time2real(now, 0.0) - 1700000000.0) * 1000000.0));
        set req.http.purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.purged));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Health probes, the admin and its login, the language switcher: never from the cache.
    if (req.url ~ "^/(healthz|readyz)" || req.url ~ "^/(admin|accounts|i18n)(/|$)") {
        return (pass);
    }
    # Readers' forms and signed links (in any language's address): each answer is one reader's.
    if (req.url ~ "^(/(uk|ru))?/(alerts|suggest-a-claim|suggestions)(/|$)"
        || req.url ~ "^(/(uk|ru))?/claims/[^/?]+/suggest-a-correction/") {
        return (pass);
    }
    # Signed-in editors see the live site; a browser that just wrote reads from the primary.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|ct_primary)=") {
        return (pass);
    }
    # API clients with a key (their own limits, editors' keys see drafts), and any credentials.
    if (req.http.Authorization || req.http.X-API-Key) {
        return (pass);
    }
    # Every other cookie (a language choice, analytics) is dropped: a kept answer never depends on one.
    unset req.http.Cookie;
    # Pages carry their language in the address and are keyed by URL alone; the API answers in
    # the language of `lang` or Accept-Language and says Vary: Accept-Language, which Varnish
    # honours (one copy per header value). Varnish itself reduces Accept-Encoding to gzip or
    # nothing and fetches gzip from the app, so Vary: Accept-Encoding keeps at most two copies.
    return (hash);
}

sub vcl_pass {
    var.set("passed", "1");
}

sub vcl_backend_fetch {
    # Microseconds, as purged_at, in a string too (vmod var's INTs are 32 bits).
    var.set("fetch_started", "" + std.integer(real=(std.time2real(now, 0.0) - 1700000000.0) * 1000000.0));
}

sub vcl_backend_response {
    # The tags, whichever header the app sends them in (xkey reads spaces and commas alike).
    if (!beresp.http.xkey) {
        if (beresp.http.Surrogate-Key) {
            set beresp.http.xkey = beresp.http.Surrogate-Key;
        } elsif (beresp.http.Cache-Tag) {
            set beresp.http.xkey = beresp.http.Cache-Tag;
        }
    }
    if (bereq.uncacheable) {
        return (deliver);
    }
    # Kept only when the app says it may be shared and says what it shows (static files, with
    # hashed names, need no tags). Never an answer that sets a cookie: it goes to its own client
    # only, untouched. Everything else is a hit-for-miss: fetched for each request for 2 minutes.
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control !~ "(?i)(^|[\s,])(public|s-maxage=)"
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Vary == "*"
        || (!beresp.http.xkey && bereq.url !~ "^/static/")
        || beresp.ttl <= 0s) {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # A fetch that started before the latest purge may have read the record before the write that
    # purge is for, and would be stored after it: hand it to the clients waiting for it, keep it not.
    if (std.integer(var.global_get("purged_at"), 0) >= std.integer(var.get("fetch_started"), 0)) {
        set beresp.ttl = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # Kept for s-maxage, else max-age, as the app sent them (Varnish computed beresp.ttl from them).
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } elsif (var.get("passed") == "1") {
        set resp.http.X-Cache = "PASS";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The tags are for this cache only, unless a request asks to see them (they name nothing private).
    if (!req.http.X-Show-Cache-Tags) {
        unset resp.http.xkey;
        unset resp.http.Surrogate-Key;
        unset resp.http.Cache-Tag;
    }
}
