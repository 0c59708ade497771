#!/usr/bin/env python3
"""A registry front that only speaks the bearer-token flow, for ripple's tests
(tests/e2e/images_registry_e2e_test.cc): the token handshake Docker Hub, GHCR and most hosted
registries use, which Debian's docker-registry only offers with a JWT signing setup.

  server.py PORT STATE_DIR [USER:PASSWORD]

HEAD /v2/<repo>/manifests/<tag> without "Authorization: Bearer <token>" answers 401 with
`WWW-Authenticate: Bearer realm=".../token",service="fake-registry",scope="repository:<repo>:pull"`.
GET /token?scope=...&service=... answers {"token": ...} for that scope (with basic auth when
USER:PASSWORD is given, else 401). With the token, a manifest HEAD answers 200 with a
Docker-Content-Digest when STATE_DIR/present lists "<repo>:<tag>", else 404; when STATE_DIR/status
holds a number, every manifest HEAD answers that status instead (a registry in trouble). Every
request is appended to STATE_DIR/requests.log. Listens on 127.0.0.1 only.
"""
import base64
import http.server
import os
import sys
import urllib.parse

PORT = int(sys.argv[1])
STATE = sys.argv[2]
BASIC = sys.argv[3] if len(sys.argv) > 3 else None


def token_for(scope):
    return "tok-" + base64.urlsafe_b64encode(scope.encode()).decode().rstrip("=")


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        with open(os.path.join(STATE, "requests.log"), "a") as log:
            log.write(self.command + " " + self.path + " " +
                      self.headers.get("Authorization", "-").split(" ")[0] + "\n")

    def answer(self, status, headers=(), body=b""):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path != "/token":
            return self.answer(404)
        if BASIC is not None:
            expected = "Basic " + base64.b64encode(BASIC.encode()).decode()
            if self.headers.get("Authorization") != expected:
                return self.answer(401)
        query = urllib.parse.parse_qs(url.query)
        scope = query.get("scope", [""])[0]
        if query.get("service", [""])[0] != "fake-registry" or not scope.endswith(":pull"):
            return self.answer(400)
        body = ('{"token": "%s", "expires_in": 300}' % token_for(scope)).encode()
        self.answer(200, [("Content-Type", "application/json")], body)

    def do_HEAD(self):
        parts = urllib.parse.urlparse(self.path).path.split("/manifests/")
        if len(parts) != 2 or not parts[0].startswith("/v2/"):
            return self.answer(404)
        repo, tag = parts[0][len("/v2/"):], parts[1]
        scope = "repository:%s:pull" % repo
        if self.headers.get("Authorization") != "Bearer " + token_for(scope):
            challenge = 'Bearer realm="http://127.0.0.1:%d/token",service="fake-registry",' \
                        'scope="%s"' % (PORT, scope)
            return self.answer(401, [("WWW-Authenticate", challenge)])
        forced = os.path.join(STATE, "status")
        if os.path.exists(forced):
            return self.answer(int(open(forced).read()))
        present = os.path.join(STATE, "present")
        listed = open(present).read().split() if os.path.exists(present) else []
        if repo + ":" + tag not in listed:
            return self.answer(404)
        self.answer(200, [("Docker-Content-Digest", "sha256:" + "ab" * 32),
                          ("Content-Type", "application/vnd.oci.image.manifest.v1+json")])


http.server.HTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
