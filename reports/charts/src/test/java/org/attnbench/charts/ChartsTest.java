package org.attnbench.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.attnbench.report.ChartRenderer;
import org.attnbench.report.Report;
import org.attnbench.results.ResultReader;
import org.junit.jupiter.api.Test;

/** The report's charts from the fixture (which has oom and unsupported rows), drawn through the class path's renderer. */
class ChartsTest {
    /** The report module's fixture; Maven runs the tests in the module's folder. */
    private static final Path FIXTURE = Path.of("../report/src/test/resources/fixture/results.csv");

    @Test
    void everyChartOfTheFixtureIsAPngAndAnSvgOfTheSameSize() throws Exception {
        Path out = Path.of("target/fixture-report"); // left there for a person to look at
        Optional<ChartRenderer> renderer = ChartRenderer.find();
        assertTrue(renderer.isPresent() && renderer.get() instanceof XChartRenderer, "XChartRenderer is registered");
        Report.Written w = Report.write(List.of(new Report.Source("fixture", ResultReader.read(FIXTURE))),
                new Report.Options(1024, 8192, "attnbench report fixture --out report"), renderer, out);
        List<String> names = w.charts().stream().map(p -> p.getFileName().toString()).sorted().toList();
        assertEquals(List.of("accuracy-cpu-float32-mqar.png", "accuracy-speed-cpu-float32.png",
                "memory-cpu-float32-bidirectional-forward.png", "memory-gpu-bfloat16-bidirectional-forward.png",
                "time-cpu-float32-bidirectional-forward.png", "time-gpu-bfloat16-bidirectional-forward.png"), names);
        String html = Files.readString(w.html());
        for (Path png : w.charts()) {
            BufferedImage image = ImageIO.read(png.toFile());
            assertEquals(XChartRenderer.WIDTH, image.getWidth(), png.toString());
            assertTrue(image.getHeight() >= 560, png + " is " + image.getHeight() + " high");
            String svg = Files.readString(png.resolveSibling(png.getFileName().toString().replace(".png", ".svg")));
            Matcher size = Pattern.compile("<svg[^>]* viewBox=\"0 0 ([0-9.]+) ([0-9.]+)\"").matcher(svg);
            assertTrue(size.find(), "an SVG document: " + svg.substring(0, Math.min(700, svg.length())).replace("\n", " "));
            assertEquals(image.getWidth(), Double.parseDouble(size.group(1)), 1e-9);
            assertEquals(image.getHeight(), Double.parseDouble(size.group(2)), 1e-9);
            assertTrue(svg.contains("Fixture CPU") || svg.contains("Fixture Server CPU"), "the caption names the machine");
        }
        assertEquals(w.charts().size(), html.split("src=\"data:image/png;base64,", -1).length - 1, "every chart embedded");
        String md = Files.readString(w.markdown());
        assertTrue(md.contains("![Time versus n: cpu, float32, bidirectional forward, batch 1, 8 heads of 64](charts/time-cpu-float32-bidirectional-forward.png)"), md);
        assertTrue(md.contains("Not measured: dense at n = 8192 (oom); bigbird at n = 512 (unsupported)."), md);
    }
}
