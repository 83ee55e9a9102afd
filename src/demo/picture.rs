//! Pictures of a byte stream (lessons 5 and 6).
