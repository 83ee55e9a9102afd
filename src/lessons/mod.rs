//! The stages, one file each, in course order. Read them in order, and `diff` neighbours:
//! each changes the one before it by one idea.

pub mod basic;
pub mod chat_room;
pub mod communication_loop;
pub mod concurrent;
pub mod connection_loop;
pub mod event_loop;
pub mod file_transfer;
pub mod fixed_header;
pub mod menu_robot;
pub mod socket_options;
pub mod sticky_packet;
pub mod thread_pool;
pub mod udp;

/// What `diff` shows between a stage's file and the file of the stage it builds on (the course
/// table's `builds_on`): the lines it marks as removed (`-`) and added (`+`), comments and all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageDiff {
    /// The stage (`lessonN`).
    pub lesson: u16,
    /// The stage it builds on: the file it is compared with.
    pub builds_on: u16,
    pub removed: usize,
    pub added: usize,
}

/// Every stage's diff against the stage it builds on, as a student running `diff` sees it.
///
/// These are the real figures, written down: a test (`tools/tests/stage_diffs.rs`) counts every
/// pair again and fails when one differs from its line here. So a stage never grows by
/// accident: whoever changes a stage's page changes its figure here too, in the same review, and
/// says why the idea needs those lines. (Nothing else is measured: a stage must never move its
/// own substance to another file to look smaller.)
#[rustfmt::skip]
pub const DIFFS: [StageDiff; 12] = [
    StageDiff { lesson:  2, builds_on: 1, removed: 17, added: 23 },
    StageDiff { lesson:  3, builds_on: 2, removed: 47, added: 55 },
    StageDiff { lesson:  4, builds_on: 3, removed: 10, added: 42 },
    StageDiff { lesson:  5, builds_on: 4, removed: 12, added: 20 },
    StageDiff { lesson:  6, builds_on: 5, removed: 39, added: 61 },
    StageDiff { lesson:  7, builds_on: 3, removed: 52, added: 68 },
    StageDiff { lesson:  8, builds_on: 6, removed: 64, added: 212 },
    StageDiff { lesson:  9, builds_on: 4, removed: 57, added: 85 },
    StageDiff { lesson: 10, builds_on: 6, removed: 58, added: 98 },
    StageDiff { lesson: 11, builds_on: 4, removed: 18, added: 94 },
    StageDiff { lesson: 12, builds_on: 4, removed: 42, added: 125 },
    StageDiff { lesson: 13, builds_on: 4, removed: 55, added: 185 },
];
