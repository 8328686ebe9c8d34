package org.attnbench.suites.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import org.attnbench.api.BackendProvider;
import org.attnbench.api.Backends;
import org.attnbench.api.Complexity;
import org.attnbench.api.Mode;
import org.attnbench.api.Option;
import org.attnbench.api.Variant;
import org.attnbench.api.VariantInfo;
import org.attnbench.api.Variants;
import org.attnbench.suites.sweep.Table;
import picocli.CommandLine.Command;

/** Prints the registered variants (family, paper, declared cost) and the backends with whether they can run here. */
@Command(name = "list", description = "List the registered variants and backends.")
public final class ListCommand implements Callable<Integer> {

    @picocli.CommandLine.Option(names = "--markdown",
            description = "print the variants as the Markdown table kept in README.md (a test checks it is current)")
    boolean markdown;

    @Override
    public Integer call() {
        if (markdown) {
            System.out.print(markdownTable());
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"VARIANT", "FAMILY", "MODES", "TIME", "MEMORY", "PAPER"});
        for (Variant v : Variants.all()) {
            VariantInfo i = v.info();
            rows.add(new String[] {Variants.displayName(v), i.family(),
                    String.join(",", Arrays.stream(i.modes()).map(Mode::id).toList()),
                    cost(i.time()), cost(i.memory()), i.paper()});
        }
        Table.print(System.out, rows);
        System.out.println();
        List<String[]> options = new ArrayList<>();
        options.add(new String[] {"VARIANT", "OPTION", "DEFAULT", "MEANING"});
        for (Variant v : Variants.all()) {
            for (Option o : v.info().options()) {
                String values = o.choices().length > 0 ? " (one of " + String.join(", ", o.choices()) + ")" : "";
                options.add(new String[] {Variants.displayName(v), o.name(), o.defaultValue(), o.summary() + values});
            }
        }
        System.out.println("Options are set in the variant's name, e.g. bigbird(block=32,random=2) (quote it in a shell):");
        Table.print(System.out, options);
        System.out.println();
        List<String[]> backends = new ArrayList<>();
        backends.add(new String[] {"BACKEND", "DEVICE", "STATUS", "WHAT"});
        for (BackendProvider p : Backends.all()) {
            String why = p.unavailableReason();
            backends.add(new String[] {p.name(), p.device(), why == null ? "available" : "unavailable: " + why, p.summary()});
        }
        Table.print(System.out, backends);
        System.out.println();
        System.out.println("Tasks for attnbench accuracy (options in the name, e.g. mqar(pairs=8); see datasets/README.md): "
                + String.join(", ", org.attnbench.datasets.Tasks.names()));
        return 0;
    }

    /** The registered variants as a Markdown table: generated from the metadata on their classes. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| variant | family | modes | time | memory | options (default) | paper |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Variant v : Variants.all()) {
            VariantInfo i = v.info();
            String options = String.join(", ", Arrays.stream(i.options()).map(o -> o.name() + "=" + o.defaultValue()).toList());
            sb.append("| `").append(Variants.displayName(v)).append("` | ").append(i.family()).append(" | ")
                    .append(String.join(", ", Arrays.stream(i.modes()).map(Mode::id).toList())).append(" | ")
                    .append(cost(i.time()).replace("|", "\\|")).append(" | ").append(cost(i.memory()).replace("|", "\\|"))
                    .append(" | ").append(options).append(" | ").append(i.paper()).append(" |\n");
        }
        return sb.toString();
    }

    /** "O(n^2)" from the declared exponent, with the full formula after it. */
    static String cost(Complexity c) {
        String e = c.exponent() == Math.rint(c.exponent()) ? String.valueOf((long) c.exponent()) : String.valueOf(c.exponent());
        String n = e.equals("1") ? "n" : "n^" + e;
        if (c.logPower() == 1) n += " log n";
        if (c.logPower() > 1) n += " log^" + c.logPower() + " n";
        if (c.causalExponent() >= 0) n += ", causal n^" + (c.causalExponent() == Math.rint(c.causalExponent())
                ? String.valueOf((long) c.causalExponent()) : String.valueOf(c.causalExponent()));
        return "O(" + n + "): " + c.formula();
    }
}
