/** The Unix file mode a zip entry carries (in its external attributes), in octal: java .ci/ZipMode.java ZIP ENTRY. */
public class ZipMode {
    public static void main(String[] args) throws Exception {
        try (java.nio.channels.FileChannel zip = java.nio.channels.FileChannel.open(java.nio.file.Path.of(args[0]))) {
            java.nio.ByteBuffer all = java.nio.ByteBuffer.allocate((int) zip.size()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            zip.read(all, 0);
            byte[] name = args[1].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            // central directory entries: signature 0x02014b50, name length at 28, external attributes at 38
            for (int at = 0; at + 46 < all.capacity(); at++) {
                if (all.getInt(at) != 0x02014b50) {
                    continue;
                }
                int length = all.getShort(at + 28) & 0xffff;
                byte[] entry = new byte[length];
                all.get(at + 46, entry);
                if (java.util.Arrays.equals(entry, name)) {
                    System.out.println(Integer.toOctalString((all.getInt(at + 38) >>> 16) & 0777));
                    return;
                }
            }
        }
        System.exit(1);
    }
}
