package com.emaileventhub.http;

/** One sample read from Prometheus text; 0 when the series does not exist yet. */
final class Metrics {
    private Metrics() {
    }

    static double value(String prometheusText, String series) {
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }
}
