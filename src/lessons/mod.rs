//! The stages, one file each, in course order. Read them in order, and `diff` neighbours:
//! each changes the one before it by one idea.

pub mod basic;
pub mod chat_room;
pub mod communication_loop;
pub mod concurrent;
pub mod connection_loop;
pub mod file_transfer;
pub mod fixed_header;
pub mod menu_robot;
pub mod socket_options;
pub mod sticky_packet;
pub mod udp;
