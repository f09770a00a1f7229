package dev.firehose.ingest.jetstream;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class JetstreamTimeTest {

    @Test
    void millisecondPrecisionWithThreeDigitsAlways() {
        assertThat(JetstreamTime.isoMillis(1744839093046123L)).isEqualTo("2025-04-16T21:31:33.046Z");
        assertThat(JetstreamTime.isoMillis(1744839093000000L)).isEqualTo("2025-04-16T21:31:33.000Z");
        assertThat(JetstreamTime.isoMillis(1744839093999999L)).isEqualTo("2025-04-16T21:31:33.999Z"); // cut, not rounded
        assertThat(JetstreamTime.isoMillis(0)).isEqualTo("1970-01-01T00:00:00.000Z");
    }

    @Test
    void beforeTheEpochRoundsTowardThePast() {
        assertThat(JetstreamTime.isoMillis(-1)).isEqualTo("1969-12-31T23:59:59.999Z");
        assertThat(JetstreamTime.isoMillis(-1000)).isEqualTo("1969-12-31T23:59:59.999Z");
        assertThat(JetstreamTime.isoMillis(-1001)).isEqualTo("1969-12-31T23:59:59.998Z");
    }

    @Test
    void totalForAnyLongNullOutsideFourDigitYears() {
        assertThat(JetstreamTime.isoMillis(JetstreamTime.MIN_TIME_US)).isEqualTo("0000-01-01T00:00:00.000Z");
        assertThat(JetstreamTime.isoMillis(JetstreamTime.MAX_TIME_US)).isEqualTo("9999-12-31T23:59:59.999Z");
        assertThat(JetstreamTime.isoMillis(JetstreamTime.MIN_TIME_US - 1)).isNull();
        assertThat(JetstreamTime.isoMillis(JetstreamTime.MAX_TIME_US + 1)).isNull();
        assertThat(JetstreamTime.isoMillis(Long.MAX_VALUE)).isNull();
        assertThat(JetstreamTime.isoMillis(Long.MIN_VALUE)).isNull();
    }

    @Test
    void agreesWithInstantOnRandomTimesSince1970() {
        Random random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            long timeUs = (long) (random.nextDouble() * JetstreamTime.MAX_TIME_US);
            String viaInstant = Instant.EPOCH.plus(timeUs, ChronoUnit.MICROS).truncatedTo(ChronoUnit.MILLIS).toString();
            // Instant.toString drops a zero fraction; the ISO form here always has three digits
            String expected = viaInstant.contains(".") ? viaInstant : viaInstant.replace("Z", ".000Z");
            assertThat(JetstreamTime.isoMillis(timeUs)).isEqualTo(expected);
        }
    }
}
