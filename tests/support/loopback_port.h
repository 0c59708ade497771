#pragma once

// Ports on 127.0.0.1 for the servers the tests start (nginx_dav_server.h, turbo_cache_server.h).

namespace ripple::testing {

// A port nothing listens on now (the kernel's choice for port 0). Throws when there is none.
int free_loopback_port();

// Whether something accepts connections on 127.0.0.1:`port`.
bool loopback_port_answers(int port);

}  // namespace ripple::testing
