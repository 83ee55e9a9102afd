"""Lesson 5 server, sticky packets (粘包现象): a remote-command service that trusts recv(1024).

Lesson 4's server, but each message is a command and the reply is its output (远程执行命令). The
flaw is the lesson: one recv(1024) is taken to be one whole command, and the output is sent with
nothing to say where it ends. A long output spills into the next reply; commands sent back to back
are read as one; an empty output sends nothing at all. Like `lesson5 server`.

By default only the built-in commands run (help, echo TEXT, seq N; see commands.py). `--shell`
runs whatever clients send through the system shell, as the tutorial's subprocess.Popen(cmd,
shell=True) does: then anyone who can connect can run any command on this machine.

    python3 python/lesson5_server.py [--host 127.0.0.1] [--port 8005] [--shell]
"""

import argparse
import sys
import threading

from commands import SHELL_WARNING, run_command

from serving import listen, stop_on_signals


def serve_one_client(conn, peer, shell):
    """The communication loop: run every command until the client leaves."""
    with conn:
        while True:
            try:
                cmd = conn.recv(1024)
                if not cmd:
                    print(f'{peer}: recv returned 0 bytes; the conversation is over',
                          file=sys.stderr, flush=True)
                    return
                # The flaw this lesson is about: we *assume* these bytes are exactly one command.
                output = run_command(cmd, shell)
                print(f'{peer}: ran {cmd!r}: {len(output)} bytes of output',
                      file=sys.stderr, flush=True)
                # The whole output, with nothing to mark where it ends. (An empty one sends
                # nothing, and a client waiting for it waits for ever.)
                conn.sendall(output)
            except OSError as e:
                print(f'{peer}: {e}; ending this connection', file=sys.stderr, flush=True)
                return


def main():
    parser = argparse.ArgumentParser(description='Lesson 5 server: commands, no message framing.')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8005, help='0 asks for any free port')
    parser.add_argument('--shell', action='store_true',
                        help='DANGER: run what clients send through the system shell')
    args = parser.parse_args()
    stop_on_signals()
    server, host, port = listen(args.host, args.port)

    try:
        if args.shell:
            print(SHELL_WARNING.format(addr=f'{host}:{port}'), file=sys.stderr, flush=True)
        # The same readiness line as the Rust servers: scripts read the real port from its end.
        print(f'lesson5 python server (Ctrl-C stops it) listening on {host}:{port}',
              file=sys.stderr, flush=True)
        while True:  # the connection loop, one thread per client as in lesson 4
            conn, addr = server.accept()
            peer = f'{addr[0]}:{addr[1]}'
            print(f'{peer} connected', file=sys.stderr, flush=True)
            threading.Thread(target=serve_one_client, args=(conn, peer, args.shell),
                             daemon=True).start()
    except KeyboardInterrupt:
        pass
    server.close()
    print('lesson5 python server stopped', file=sys.stderr, flush=True)


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        pass  # Ctrl-C before the server was listening, or as it stopped: stop all the same
