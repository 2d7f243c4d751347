"""Keeps a runtime script off the network while its app is built.

Exec'd by the runtime scripts that need it (after `_dump.py`, the same way),
it defines `refused`, the list of what was refused (for the dump's
`refused_connections`), and two functions:

- `refuse_network(dns=True)`: every AF_INET/AF_INET6 `socket.connect`
  raises ConnectionRefusedError, as if no server listened (`connect_ex`
  returns ECONNREFUSED); with `dns`, `getaddrinfo` answers only for local
  and numeric names and `getfqdn` returns a fixed name.
- `refuse_databases(allow=())`: SQLAlchemy's `DefaultDialect.connect` is
  refused for every dialect not in `allow` (libpq and other drivers do not
  go through Python's sockets).
"""
import socket as _socket

refused = []
_LOCAL_NAMES = {"localhost", "127.0.0.1", "::1", "", None}


def refuse_network(dns=True):
    connect = _socket.socket.connect
    getaddrinfo = _socket.getaddrinfo

    def refuse(self, address, *args, **kwargs):
        if self.family in (_socket.AF_INET, _socket.AF_INET6):
            refused.append(repr(address))
            raise ConnectionRefusedError(111, f"realapps: no network ({address!r})")
        return connect(self, address, *args, **kwargs)

    def refuse_ex(self, address, *args, **kwargs):
        try:
            refuse(self, address, *args, **kwargs)
        except ConnectionRefusedError:
            return 111
        return 0

    def local_getaddrinfo(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name in _LOCAL_NAMES or (isinstance(name, str) and name.replace(".", "").isdigit()):
            return getaddrinfo(host, *args, **kwargs)
        refused.append(f"resolve {name!r}")
        raise _socket.gaierror(_socket.EAI_NONAME, f"realapps: no DNS ({name!r})")

    _socket.socket.connect = refuse
    _socket.socket.connect_ex = refuse_ex
    if dns:
        _socket.getaddrinfo = local_getaddrinfo
        _socket.getfqdn = lambda name="": "realapps.invalid"


def refuse_databases(allow=()):
    from sqlalchemy.engine import default

    connect = default.DefaultDialect.connect

    def refuse(self, *args, **kwargs):
        if self.name in allow:
            return connect(self, *args, **kwargs)
        refused.append(f"database {self.name} {args!r} {kwargs!r}")
        raise ConnectionRefusedError(111, "realapps: no database server")

    default.DefaultDialect.connect = refuse
