"""What every server here does before and around its loop: the same start as the tutorial's
servers, and a clean stop.

Not a program: the servers import it (`from serving import listen, stop_on_signals`), as the Rust
stages share `src/server.rs` and `src/shutdown.rs`.
"""

import os
import signal
import socket
import sys


def stop_on_signals():
    """Makes Ctrl-C (SIGINT) and `kill` (SIGTERM) both raise KeyboardInterrupt, which each
    server catches to stop cleanly."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.default_int_handler)


def listen(host, port):
    """socket -> bind -> listen (buy the phone, put the card in, switch it on), as the tutorial
    writes them. Returns the listening socket and the host and port it really has (port 0 asks
    for any free port). A port that cannot be had ends the program with one error line."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # The tutorial's fix for "address already in use" right after a restart. Not on Windows,
    # where the same option would let this server take a port another server is listening on.
    if os.name != 'nt':
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        server.bind((host, port))
    except OSError as e:
        sys.exit(f'error: cannot listen on {host}:{port}: {e}')
    server.listen(5)
    real_host, real_port = server.getsockname()[:2]
    return server, real_host, real_port
