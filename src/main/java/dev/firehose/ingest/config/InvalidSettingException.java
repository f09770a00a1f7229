package dev.firehose.ingest.config;

/** A configuration value that cannot work; the message names the environment variable to fix. */
public final class InvalidSettingException extends RuntimeException {

    public InvalidSettingException(String message) {
        super(message);
    }
}
