"""The command service of the lesson 5 and 6 servers: what a "remote command" runs.

Not a program: the servers import it (`from commands import run_command`).

The tutorial's server hands whatever text arrives to `subprocess.Popen(cmd, shell=True)`, so anyone
who can connect can run any program on your machine. By default these servers run only three
built-in commands instead, the same ones as the Rust servers, with the same replies byte for byte:

    help          the command list
    echo TEXT...  TEXT's words joined by single spaces, then a newline
    seq N         the numbers 1 to N, one per line (N up to 1000000)

`--shell` on a server opts in to the tutorial's behaviour: the real shell.
"""

import re
import subprocess

MAX_SEQ = 1_000_000

HELP = (
    'commands:\n'
    '  help          this list\n'
    '  echo TEXT...  prints TEXT\n'
    '  seq N         prints the numbers 1 to N, one per line (N up to 1000000)\n'
    'Only these run here; other commands (ls, dir, ...) need a server started with --shell.\n'
)

SHELL_WARNING = (
    'WARNING --shell: every client that can reach {addr} may now run ANY command on this '
    'machine, as this user. Use it only on a machine and network you trust.'
)


def run_command(request, shell=False):
    """Runs one request (bytes) and returns its output (bytes): what the server sends back.

    A command that fails still has an output, its error text, so the client always hears why.
    """
    try:
        text = request.decode('utf-8')
    except UnicodeDecodeError:
        return b"error: the command is not UTF-8 text; try 'help'\n"
    if shell:
        return run_in_shell(text)
    return built_in(text).encode('utf-8')


def built_in(text):
    # str.split() splits at runs of whitespace, as the Rust servers do. (Python also counts the
    # control characters 0x1C-0x1F as whitespace; Rust does not. Nobody types those.)
    words = text.split()
    if not words:
        return "error: empty command; try 'help'\n"
    name, args = words[0], words[1:]
    if name == 'help':
        return HELP
    if name == 'echo':
        return ' '.join(args) + '\n'
    if name == 'seq':
        if len(args) != 1:
            return "seq: expected one number, as in 'seq 10'\n"
        return seq(args[0])
    return (f"unknown command '{name}': this server runs only help, echo and seq "
            "(any command only when started with --shell); try 'help'\n")


def seq(word):
    # A whole number is ASCII digits (an optional '+' first) that fit in 64 bits: int() alone
    # would also take '1_000', ' 5' or Arabic-Indic digits, which the Rust servers refuse.
    if not re.fullmatch(r'\+?[0-9]+', word) or int(word) >= 2**64:
        return f"seq: '{word}' is not a whole number\n"
    n = int(word)
    if n > MAX_SEQ:
        return f'seq: {word} is too large; the most is {MAX_SEQ}\n'
    return ''.join(f'{i}\n' for i in range(1, n + 1))


def run_in_shell(text):
    """The tutorial's way: the system shell runs the text, as this user. Only with --shell."""
    # The tutorial reads obj.stdout.read() and then obj.stderr.read(). That can hang for ever: a
    # command that fills the stderr pipe (64 KiB) first waits for someone to read it, while the
    # server waits for stdout to end. One pipe for both (like 2>&1) cannot hang, and shows the
    # output in the order it was written, as a terminal would.
    try:
        done = subprocess.run(
            text,
            shell=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
    except OSError as e:
        return f'error: cannot run the shell: {e}\n'.encode('utf-8')
    return done.stdout
