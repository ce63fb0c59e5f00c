package dev.headroom.telemetry.prometheus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to {@link #LIMIT_BYTES}: past that, the download is cancelled and the body
 * fails with {@link TooLarge}, so a server answering without end cannot exhaust the heap. A fleet of a few thousand
 * GPUs answers in well under a MiB.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    static final int LIMIT_BYTES = 32 << 20;

    /** The body passed {@link #LIMIT_BYTES}. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("the answer is larger than " + (LIMIT_BYTES >> 20) + " MiB");
        }
    }

    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) {
            return; // cancelled: what was still in flight is dropped
        }
        for (ByteBuffer buffer : buffers) {
            if (bytes.size() + (long) buffer.remaining() > LIMIT_BYTES) {
                subscription.cancel();
                body.completeExceptionally(new TooLarge());
                return;
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            bytes.write(chunk, 0, chunk.length);
        }
    }

    @Override
    public void onError(Throwable error) {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        body.complete(bytes.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }
}
