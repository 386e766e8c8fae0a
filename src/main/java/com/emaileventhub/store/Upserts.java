package com.emaileventhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** One statement run as a JDBC batch over rows; and the rows an UPDATE batch did not find (to insert them). */
final class Upserts {
    /** Sets one row's parameters. */
    @FunctionalInterface
    interface Binder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    private Upserts() {
    }

    static <T> int[] batch(Connection c, String sql, List<T> rows, Binder<T> binder) throws SQLException {
        if (rows.isEmpty()) {
            return new int[0];
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (T row : rows) {
                binder.bind(ps, row);
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }

    static <T> List<T> missing(List<T> rows, int[] updated) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (updated[i] == 0) {
                out.add(rows.get(i));
            }
        }
        return out;
    }
}
