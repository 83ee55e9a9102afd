# The course's sentences, in English (src/i18n.rs). Every message here has its twin, with the
# same id and the same arguments, in ../zh-CN/socket_lessons.ftl (a test checks).
# One section per part of the course; add a message in the section of the code that says it.

language-name = English

## Values: what a bad flag value is told (src/flags.rs)

## Servers and clients: errors, warnings and notices (src/server.rs, src/lessons/, src/files/ ...)

room-hung-up-on-us = the room hung up on us: { $why }

## The chat room's wire (src/room.rs): what members hear

room-name-invalid = a name is 1 to { $max } letters or digits, in any script
room-name-taken = the name { $name } is taken; choose another
room-closing = the room is closing
room-busy = the server cannot take another member now; try later
room-present = * in the room: { $names }
room-nobody-else = nobody else yet
room-names-separator = {", "}
room-joined = * { $name } joined
room-left = * { $name } left
room-left-stopped-reading = * { $name } left (it stopped reading)
room-closing-notice = * the server is shutting down: goodbye
# After `error: `, which stays as it is in every language: clients read it.
room-stopped-reading = you stopped reading, so the room went on without you
line-too-long = a line is longer than { $max } bytes
line-not-utf8 = a line is not UTF-8 text

## The menu robot's wire (src/menu.rs): what callers hear

