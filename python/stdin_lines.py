"""Reading what the user types, for every client here: one line of standard input at a time.

Not a program: the clients import it (`from stdin_lines import read_line`), as the Rust clients
share one way of reading their input.
"""

import sys


def read_line():
    """One line of standard input without its line ending, or None at the end of the input.

    On a terminal the tutorial's prompt '>>: ' comes first, on stderr: stdout is for replies only.
    """
    if sys.stdin.isatty():
        print('>>: ', end='', file=sys.stderr, flush=True)
    line = sys.stdin.buffer.readline()
    if not line:
        if sys.stdin.isatty():
            print(file=sys.stderr)
        return None
    if line.endswith(b'\n'):  # the line ending is never sent: '\n', or '\r\n' from Windows
        line = line[:-1]
        if line.endswith(b'\r'):
            line = line[:-1]
    try:
        return line.decode('utf-8')
    except UnicodeDecodeError:
        sys.exit('error: a line of standard input is not UTF-8 text')

