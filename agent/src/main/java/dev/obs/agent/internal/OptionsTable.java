package dev.obs.agent.internal;

/** Prints the README's configuration table from {@link Options#ALL}. */
public final class OptionsTable {
    private OptionsTable() {
    }

    public static void main(String[] args) {
        StringBuilder b = new StringBuilder();
        b.append("| property | environment | default | meaning |\n|---|---|---|---|\n");
        for (Option o : Options.ALL) {
            b.append("| `").append(o.property()).append("` | `").append(o.environmentVariable()).append("` | ")
                    .append(o.defaultValue().isEmpty() ? "" : "`" + o.defaultValue() + "`").append(" | ")
                    .append(o.description()).append(" |\n");
        }
        System.out.print(b);
    }
}
