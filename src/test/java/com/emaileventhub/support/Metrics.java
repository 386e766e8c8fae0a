package com.emaileventhub.support;

/** One sample read from Prometheus text (/observe/metrics). */
public final class Metrics {
    private Metrics() {
    }

    /** The value of a series, labels in Prometheus' (alphabetical) order; 0 when the series does not exist yet. */
    public static double value(String prometheusText, String series) {
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    /** Whether any series of that metric name is exported at all. */
    public static boolean exported(String prometheusText, String name) {
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return true;
            }
        }
        return false;
    }
}
