package dev.firehose.ingest.atproto;

import java.io.IOException;

import static dev.firehose.ingest.atproto.MalformedFrameException.Reason.BAD_BODY;

/** Reads the bodies that carry no posts: #identity, #account, #sync, #info and error frames. */
final class EventBodyReader {

    private EventBodyReader() {
    }

    /** #identity, #account, #sync: {@code seq}, {@code did}, {@code time} are required; the rest is skipped. */
    static FirehoseEvent repoEvent(FrameCursor c, String type) throws IOException, MalformedFrameException {
        long seq = -1;
        String did = null;
        String time = null;
        while (c.nextField()) {
            String name = c.parser.currentName();
            c.parser.nextToken();
            switch (name) {
                case "seq" -> seq = c.readSeq();
                case "did" -> did = c.requireText(name);
                case "time" -> time = c.requireText(name);
                default -> c.parser.skipChildren();
            }
        }
        if (seq < 0 || did == null || time == null) {
            throw c.fail(BAD_BODY, type + " lacks " + (seq < 0 ? "seq" : did == null ? "did" : "time"));
        }
        return FirehoseEvent.repoEvent(type, seq, did, time);
    }

    /** #info: {@code name} required, {@code message} optional. */
    static FirehoseEvent info(FrameCursor c) throws IOException, MalformedFrameException {
        String[] nameAndMessage = nameAndMessage(c, "name");
        return FirehoseEvent.info(nameAndMessage[0], nameAndMessage[1]);
    }

    /** Error frame (op -1): {@code error} required, {@code message} optional. */
    static FirehoseEvent error(FrameCursor c) throws IOException, MalformedFrameException {
        String[] nameAndMessage = nameAndMessage(c, "error");
        return FirehoseEvent.error(nameAndMessage[0], nameAndMessage[1]);
    }

    private static String[] nameAndMessage(FrameCursor c, String nameField) throws IOException, MalformedFrameException {
        String name = null;
        String message = null;
        while (c.nextField()) {
            String field = c.parser.currentName();
            c.parser.nextToken();
            if (field.equals(nameField)) {
                name = c.requireText(field);
            } else if (field.equals("message")) {
                message = c.optionalText(field);
            } else {
                c.parser.skipChildren();
            }
        }
        if (name == null) {
            throw c.fail(BAD_BODY, "body lacks " + nameField);
        }
        return new String[] {name, message};
    }
}
