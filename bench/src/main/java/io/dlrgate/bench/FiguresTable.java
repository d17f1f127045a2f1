package io.dlrgate.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain-text table: one row per figure, one column per phase. */
final class FiguresTable {

    private final String title;
    private final List<String> columns;
    private final List<String[]> rows = new ArrayList<>();

    FiguresTable(String title, List<String> columns) {
        this.title = title;
        this.columns = List.copyOf(columns);
    }

    void row(String figure, String... values) {
        String[] r = new String[columns.size() + 1];
        r[0] = figure;
        for (int i = 0; i < columns.size(); i++) {
            r[i + 1] = i < values.length ? values[i] : "";
        }
        rows.add(r);
    }

    void print(PrintStream out) {
        int[] w = new int[columns.size() + 1];
        w[0] = "figure".length();
        for (int i = 0; i < columns.size(); i++) {
            w[i + 1] = columns.get(i).length();
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder sep = new StringBuilder("+");
        for (int x : w) {
            sep.append("-".repeat(x + 2)).append('+');
        }
        out.println();
        out.println(title);
        out.println(sep);
        StringBuilder head = new StringBuilder("| ").append(pad("figure", w[0], false)).append(" |");
        for (int i = 0; i < columns.size(); i++) {
            head.append(' ').append(pad(columns.get(i), w[i + 1], true)).append(" |");
        }
        out.println(head);
        out.println(sep);
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder("| ").append(pad(r[0], w[0], false)).append(" |");
            for (int i = 1; i < r.length; i++) {
                line.append(' ').append(pad(r[i], w[i], true)).append(" |");
            }
            out.println(line);
        }
        out.println(sep);
        out.flush();
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String dec(double v, int places) {
        return String.format(Locale.ROOT, "%,." + places + "f", v);
    }

    static String ms(long micros) {
        return String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,.1f MiB", bytes / (1024.0 * 1024.0));
    }

    static String pct(double ratio) {
        return String.format(Locale.ROOT, "%.1f %%", ratio * 100);
    }
}
