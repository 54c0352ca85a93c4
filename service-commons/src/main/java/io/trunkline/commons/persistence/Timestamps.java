package io.trunkline.commons.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Instants to and from {@code TIMESTAMPTZ} columns in plain JDBC: bound and read as UTC offsets; NULL is null. */
public final class Timestamps {

    private Timestamps() {
    }

    /** {@code instant} as a parameter value for a {@code TIMESTAMPTZ}; null for null. */
    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** The {@code TIMESTAMPTZ} in column {@code column}; null for NULL. */
    public static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** The {@code TIMESTAMPTZ} in column number {@code column}; null for NULL. */
    public static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
