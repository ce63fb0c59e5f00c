import java.awt.image.BufferedImage;
import java.io.File;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/** CI: fails unless the PNG holds a drawn window (hundreds of colours), not a blank or single-colour frame. */
public class NonBlankPng {
    public static void main(String[] args) throws Exception {
        BufferedImage image = ImageIO.read(new File(args[0]));
        if (image == null) {
            throw new IllegalStateException(args[0] + ": not a PNG");
        }
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        System.out.printf("%s: %d x %d, %d colours%n", args[0], image.getWidth(), image.getHeight(), colours.size());
        if (image.getWidth() < 640 || colours.size() < 50) {
            throw new IllegalStateException(args[0] + ": looks blank");
        }
    }
}
