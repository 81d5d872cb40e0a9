#!/bin/sh
# Chooses the enabled server blocks at every start (run by the nginx image's entrypoint):
#   no certificates                 -> HTTP only (servers/http.conf)
#   ./nginx/certs/{fullchain,privkey}.pem -> HTTP + HTTPS
#   ... and NGINX_HTTPS_REDIRECT=true -> HTTPS + HTTP->HTTPS redirect (servers/http-redirect.conf)
set -eu

available=/etc/nginx/servers
enabled=/etc/nginx/conf.d
certs=/etc/nginx/certs
redirect="${NGINX_HTTPS_REDIRECT:-false}"

rm -f "$enabled/http.conf" "$enabled/http-redirect.conf" "$enabled/https.conf"

if [ -s "$certs/fullchain.pem" ] && [ -s "$certs/privkey.pem" ]; then
    cp "$available/https.conf" "$enabled/https.conf"
    if [ "$redirect" = "true" ]; then
        cp "$available/http-redirect.conf" "$enabled/http-redirect.conf"
        echo "$0: HTTPS enabled, HTTP redirects to HTTPS"
    else
        cp "$available/http.conf" "$enabled/http.conf"
        echo "$0: HTTPS enabled, HTTP still serves the app (NGINX_HTTPS_REDIRECT=true to redirect)"
    fi
else
    cp "$available/http.conf" "$enabled/http.conf"
    if [ "$redirect" = "true" ]; then
        echo "$0: NGINX_HTTPS_REDIRECT=true but no $certs/fullchain.pem + privkey.pem: HTTP only" >&2
    else
        echo "$0: no certificates in $certs: HTTP only"
    fi
fi
