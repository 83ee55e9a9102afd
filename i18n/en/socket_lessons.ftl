# The course's sentences, in English (src/i18n.rs). Every message here has its twin, with the
# same id and the same arguments, in ../zh-CN/socket_lessons.ftl (a test checks).
# One section per part of the course; add a message in the section of the code that says it.

language-name = English

## Values: what a bad flag value is told (src/flags.rs)

## Servers and clients: errors, warnings and notices (src/server.rs, src/lessons/, src/files/ ...)

## The chat room's wire (src/room.rs): what members hear

## The menu robot's wire (src/menu.rs): what callers hear
