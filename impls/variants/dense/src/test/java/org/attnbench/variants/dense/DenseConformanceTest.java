package org.attnbench.variants.dense;

import org.attnbench.api.Variant;
import org.attnbench.api.Variants;
import org.attnbench.tck.VariantConformance;

class DenseConformanceTest extends VariantConformance {
    @Override
    protected Variant variant() {
        return Variants.get("dense");
    }
}
