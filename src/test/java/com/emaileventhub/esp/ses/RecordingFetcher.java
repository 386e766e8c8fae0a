package com.emaileventhub.esp.ses;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The network, replaced: remembers every URL the hub asked for and answers from a script. */
final class RecordingFetcher implements SnsFetcher {
    @FunctionalInterface
    interface Answer {
        Response answer(URI uri) throws IOException;
    }

    final List<URI> calls = new CopyOnWriteArrayList<>();
    private volatile Answer answer = uri -> new Response(200, "<ConfirmSubscriptionResponse/>".getBytes());

    RecordingFetcher answering(Answer value) {
        this.answer = value;
        return this;
    }

    @Override
    public Response get(URI uri) throws IOException {
        calls.add(uri);
        return answer.answer(uri);
    }
}
