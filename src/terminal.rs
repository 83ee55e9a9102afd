//! What a program owes the terminal it leaves behind.
//!
//! A terminal in its usual mode keeps what the user types in a line buffer of its own, and hands
//! it to the program only when the user presses Enter. A program that ends while the user is
//! half-way through a line leaves that half in the buffer, and the next program to read the
//! terminal takes it: the shell, which runs it as the start of its next command
//! (`-bash: half-typed: command not found`, or worse, if the half-line was a real command). A
//! client that ends because its server went away, in the middle of the user's typing, must throw
//! that half-line away first.

/// Throws away whatever was typed at the terminal and not read yet, if standard input is a
/// terminal (`tcflush(STDIN_FILENO, TCIFLUSH)`). Input from a pipe or a file is left alone: it
/// was meant for this program, and nothing else will read it.
pub fn discard_typed_input() {
    #[cfg(unix)]
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        // SAFETY: tcflush(3) takes a file descriptor and a constant, and touches no memory of
        // ours. Failing (say, the terminal is gone) leaves nothing to clean up.
        unsafe {
            libc::tcflush(libc::STDIN_FILENO, libc::TCIFLUSH);
        }
    }
}
