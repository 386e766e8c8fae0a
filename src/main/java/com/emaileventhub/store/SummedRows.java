package com.emaileventhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Changes to a table of sums (the insight rollups): what a batch adds to or takes from each row, summed per row key
 * in memory, then added to the stored rows in one statement batch, and the rows not stored yet inserted. Rows are
 * written in key order, one lock order for every writer. A key column holds a string or a number; a carried column
 * (the text a key column is a hash of) is written when the row is inserted and left alone after.
 */
final class SummedRows {
    private static final Comparator<List<Object>> KEY_ORDER = (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            int c = ((Comparable) a.get(i)).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    private record Change(List<Object> carried, long[] sums) {
    }

    private final List<String> keys;
    private final List<String> carried;
    private final List<String> sums;
    private final String pgUpsert;
    private final String h2Add;
    private final String insert;
    private final Map<List<Object>, Change> changes = new HashMap<>();

    SummedRows(String table, List<String> keys, List<String> carried, List<String> sums) {
        this.keys = keys;
        this.carried = carried;
        this.sums = sums;
        List<String> columns = new ArrayList<>(keys);
        columns.addAll(carried);
        columns.addAll(sums);
        this.insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + InsightRows.marks(columns.size()) + ")";
        this.pgUpsert = insert + " ON CONFLICT (" + String.join(", ", keys) + ") DO UPDATE SET " + sums.stream()
                .map(n -> n + " = " + table + "." + n + " + EXCLUDED." + n).collect(Collectors.joining(", "));
        this.h2Add = "UPDATE " + table + " SET " + sums.stream().map(n -> n + " = " + n + " + ?")
                .collect(Collectors.joining(", ")) + " WHERE "
                + keys.stream().map(k -> k + " = ?").collect(Collectors.joining(" AND "));
    }

    /** Adds (sign 1) or takes away (sign -1) the values at the row of this key. */
    void add(List<Object> key, List<Object> carriedValues, long[] values, int sign) {
        long[] sum = changes.computeIfAbsent(key, k -> new Change(carriedValues, new long[sums.size()])).sums();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += sign * values[i];
        }
    }

    /** Writes the changes that are not zero (on H2: add where the row exists, then insert, as this transaction holds them). */
    void write(Connection c, Database.Dialect dialect) throws SQLException {
        List<Map.Entry<List<Object>, Change>> rows = changes.entrySet().stream()
                .filter(e -> Arrays.stream(e.getValue().sums()).anyMatch(v -> v != 0))
                .sorted(Map.Entry.comparingByKey(KEY_ORDER))
                .toList();
        if (rows.isEmpty()) {
            return;
        }
        if (dialect == Database.Dialect.POSTGRESQL) {
            Upserts.batch(c, pgUpsert, rows, this::bindRow);
            return;
        }
        int[] updated = Upserts.batch(c, h2Add, rows, (ps, e) -> {
            bind(ps, 1, Arrays.stream(e.getValue().sums()).boxed().toList());
            bind(ps, sums.size() + 1, e.getKey());
        });
        Upserts.batch(c, insert, Upserts.missing(rows, updated), this::bindRow);
    }

    private void bindRow(PreparedStatement ps, Map.Entry<List<Object>, Change> e) throws SQLException {
        bind(ps, 1, e.getKey());
        bind(ps, keys.size() + 1, e.getValue().carried());
        bind(ps, keys.size() + carried.size() + 1, Arrays.stream(e.getValue().sums()).boxed().toList());
    }

    private static void bind(PreparedStatement ps, int from, List<?> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                ps.setNull(from + i, Types.VARCHAR);   // only carried text is ever null
            } else {
                ps.setObject(from + i, values.get(i));
            }
        }
    }
}
