package dev.obs.instrumentation.methods;

import dev.obs.instrumentation.InstrumentationFamily;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.ArrayList;
import java.util.List;

/** Configured method pointcuts ({@code obs.methods.include}): pure configuration, no code per library. */
public final class MethodsFamily implements InstrumentationFamily {
    private final List<MethodPointcut> pointcuts;

    public MethodsFamily(List<MethodPointcut> pointcuts) {
        this.pointcuts = pointcuts;
    }

    @Override
    public String name() {
        return "methods";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        List<TypeInstrumentation> out = new ArrayList<>();
        for (MethodPointcut p : pointcuts) {
            out.add(new MethodSpanInstrumentation(p));
        }
        return out;
    }
}
