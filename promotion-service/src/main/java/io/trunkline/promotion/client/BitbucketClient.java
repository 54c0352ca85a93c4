package io.trunkline.promotion.client;

import io.trunkline.events.PullRequestAction;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.promotion.config.PromotionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The calls promotion-service makes to Bitbucket Cloud and Data Center, with a timeout, one quick retry
 * of a network error or 5xx, and a circuit breaker (so that while Bitbucket is down, events wait without
 * each costing a timeout). Outcomes: an answer ({@link CommitLookup}, found or refused for good), or
 * {@link BitbucketUnavailableException} (try later), which callers also get for a timeout or an open
 * circuit through {@link #unavailable}. The durable retries are the consumer's.
 */
@ApplicationScoped
@Timeout(value = 6, unit = ChronoUnit.SECONDS)
@Retry(maxRetries = 1, delay = 200, jitter = 100, retryOn = BitbucketUnavailableException.class)
@CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 30, delayUnit = ChronoUnit.SECONDS,
        failOn = {BitbucketUnavailableException.class, TimeoutException.class})
public class BitbucketClient {

    /** The most pages of one list read in one go (100 tags or 50 pull requests each on Cloud). */
    private static final int MAX_PAGES = 20;

    private final BitbucketCloudApi cloud;
    // created on first use: without TRUNKLINE_BITBUCKET_SERVER_URL it is never used, and could not be created
    private final Instance<BitbucketDataCenterApi> dataCenter;
    private final PromotionConfig config;

    public BitbucketClient(@RestClient BitbucketCloudApi cloud, @RestClient Instance<BitbucketDataCenterApi> dataCenter,
            PromotionConfig config) {
        this.cloud = cloud;
        this.dataCenter = dataCenter;
        this.config = config;
    }

    /** The full hash of the commit {@code hash} (full or abbreviated) names in the repository. */
    public CommitLookup commit(RepositoryRef repository, String hash) {
        String what = "commit " + hash + " of " + repository.fullName();
        if (repository.provider() == ScmProvider.BITBUCKET_DATA_CENTER) {
            if (config.bitbucket().serverUrl().filter(url -> !url.isBlank()).isEmpty()) {
                return CommitLookup.refused("no Bitbucket Data Center server is configured "
                        + "(TRUNKLINE_BITBUCKET_SERVER_URL) to resolve " + what);
            }
            return call(what, () -> dataCenter.get().commit(repository.workspace(), repository.slug(), hash).id());
        }
        return call(what, () -> cloud.commit(repository.workspace(), repository.slug(), hash).hash());
    }

    /**
     * The head of branch {@code name} ({@code GET .../refs/branches/{name}}; Data Center: the branch among
     * {@code .../branches?filterText=}); empty when the repository has no such branch.
     *
     * @throws BitbucketUnavailableException try later
     * @throws BitbucketRefusedException Bitbucket refused for good
     */
    public Optional<RemoteRef> branch(RepositoryRef repository, String name) {
        String what = "branch " + name + " of " + repository.fullName();
        if (repository.provider() == ScmProvider.BITBUCKET_DATA_CENTER) {
            BitbucketDataCenterApi server = dataCenter(what);
            int start = 0;
            for (int pages = 0; pages < MAX_PAGES; pages++) {
                int from = start;
                BitbucketDataCenterApi.Page<BitbucketDataCenterApi.Ref> page = fetch(what,
                        () -> server.branches(repository.workspace(), repository.slug(), name, from));
                Optional<RemoteRef> found = values(page.values()).stream().filter(ref -> name.equals(ref.displayId()))
                        .findFirst().map(ref -> new RemoteRef(ref.displayId(), ref.latestCommit()));
                if (found.isPresent() || page.isLastPage() || page.nextPageStart() == null) {
                    return found;
                }
                start = page.nextPageStart();
            }
            return Optional.empty();
        }
        try {
            BitbucketCloudApi.Ref ref = fetch(what, () -> cloud.branch(repository.workspace(), repository.slug(), name));
            return Optional.ofNullable(ref).filter(found -> found.target() != null && found.target().hash() != null)
                    .map(found -> new RemoteRef(found.name(), found.target().hash()));
        } catch (NotFound e) {
            return Optional.empty();
        }
    }

    /**
     * One page of the tags whose name starts with {@code prefix} (empty: all); {@code cursor} null for the first,
     * then the page's {@link RemotePage#next()}.
     */
    public RemotePage<RemoteRef> tags(RepositoryRef repository, String prefix, Integer cursor) {
        String what = "tags of " + repository.fullName();
        if (repository.provider() == ScmProvider.BITBUCKET_DATA_CENTER) {
            BitbucketDataCenterApi server = dataCenter(what);
            BitbucketDataCenterApi.Page<BitbucketDataCenterApi.Ref> page = fetchList(what, () -> server.tags(
                    repository.workspace(), repository.slug(), prefix.isEmpty() ? null : prefix, cursor == null ? 0 : cursor));
            return new RemotePage<>(values(page.values()).stream()
                    .filter(ref -> ref.displayId() != null && ref.latestCommit() != null)
                    .map(ref -> new RemoteRef(ref.displayId(), ref.latestCommit())).toList(),
                    page.isLastPage() ? null : page.nextPageStart());
        }
        int number = cursor == null ? 1 : cursor;
        String query = prefix.isEmpty() ? null : "name ~ \"" + prefix.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        BitbucketCloudApi.Page<BitbucketCloudApi.Ref> page = fetchList(what,
                () -> cloud.tags(repository.workspace(), repository.slug(), query, 100, number));
        return new RemotePage<>(values(page.values()).stream()
                .filter(ref -> ref.name() != null && ref.target() != null && ref.target().hash() != null)
                .map(ref -> new RemoteRef(ref.name(), ref.target().hash())).toList(),
                page.next() == null ? null : number + 1);
    }

    /** One page of the open pull requests; {@code cursor} null for the first, then the page's {@link RemotePage#next()}. */
    public RemotePage<RemotePullRequest> openPullRequests(RepositoryRef repository, Integer cursor) {
        String what = "open pull requests of " + repository.fullName();
        if (repository.provider() == ScmProvider.BITBUCKET_DATA_CENTER) {
            BitbucketDataCenterApi server = dataCenter(what);
            BitbucketDataCenterApi.Page<BitbucketDataCenterApi.PullRequest> page = fetchList(what, () -> server.pullRequests(
                    repository.workspace(), repository.slug(), "OPEN", cursor == null ? 0 : cursor));
            return new RemotePage<>(values(page.values()).stream().filter(pr -> pr.fromRef() != null && pr.toRef() != null)
                    .map(pr -> dataCenterPullRequest(repository, pr)).toList(),
                    page.isLastPage() ? null : page.nextPageStart());
        }
        int number = cursor == null ? 1 : cursor;
        BitbucketCloudApi.Page<BitbucketCloudApi.PullRequest> page = fetchList(what,
                () -> cloud.pullRequests(repository.workspace(), repository.slug(), "OPEN", 50, number));
        return new RemotePage<>(values(page.values()).stream().filter(pr -> pr.source() != null && pr.destination() != null)
                .map(pr -> cloudPullRequest(repository, pr)).toList(), page.next() == null ? null : number + 1);
    }

    /**
     * How pull request {@code id} ended, if it did ({@code GET .../pullrequests/{id}}; Data Center
     * {@code .../pull-requests/{id}}): empty while it is open; a pull request Bitbucket knows no more (404) was
     * deleted, which ends its previews as a decline does.
     *
     * @throws BitbucketUnavailableException try later
     * @throws BitbucketRefusedException Bitbucket refused for good
     */
    public Optional<ClosedPullRequest> closedPullRequest(RepositoryRef repository, long id) {
        String what = "pull request #" + id + " of " + repository.fullName();
        try {
            if (repository.provider() == ScmProvider.BITBUCKET_DATA_CENTER) {
                BitbucketDataCenterApi server = dataCenter(what);
                BitbucketDataCenterApi.PullRequest pr = fetch(what,
                        () -> server.pullRequest(repository.workspace(), repository.slug(), id));
                return closure(id, pr.state(), pr.fromRef() == null || pr.toRef() == null ? null
                        : dataCenterPullRequest(repository, pr));
            }
            BitbucketCloudApi.PullRequest pr = fetch(what, () -> cloud.pullRequest(repository.workspace(),
                    repository.slug(), id));
            return closure(id, pr.state(), pr.source() == null || pr.destination() == null ? null
                    : cloudPullRequest(repository, pr));
        } catch (NotFound e) {
            return Optional.of(new ClosedPullRequest(id, PullRequestAction.DECLINED, null));
        }
    }

    private static Optional<ClosedPullRequest> closure(long id, String state, RemotePullRequest pullRequest) {
        if (state == null || "OPEN".equalsIgnoreCase(state)) {
            return Optional.empty();
        }
        PullRequestAction action = "MERGED".equalsIgnoreCase(state) ? PullRequestAction.MERGED : PullRequestAction.DECLINED;
        return Optional.of(new ClosedPullRequest(id, action, pullRequest));
    }

    private static RemotePullRequest cloudPullRequest(RepositoryRef repository, BitbucketCloudApi.PullRequest pr) {
        BitbucketCloudApi.Endpoint source = pr.source();
        String sourceName = source.repository() == null ? null : source.repository().fullName();
        String targetName = pr.destination().repository() == null ? repository.fullName()
                : pr.destination().repository().fullName();
        RepositoryRef sourceRepository = sourceName == null || sourceName.indexOf('/') < 0 ? null
                : new RepositoryRef(repository.provider(), sourceName.substring(0, sourceName.indexOf('/')),
                        sourceName.substring(sourceName.indexOf('/') + 1));
        boolean fork = sourceName == null || !sourceName.equalsIgnoreCase(targetName);
        return new RemotePullRequest(pr.id(), pr.title(), source.branch() == null ? null : source.branch().name(),
                source.commit() == null ? null : source.commit().hash(), fork ? sourceRepository : repository, fork,
                pr.destination().branch() == null ? null : pr.destination().branch().name(),
                pr.author() == null ? null : pr.author().displayName());
    }

    private static RemotePullRequest dataCenterPullRequest(RepositoryRef repository, BitbucketDataCenterApi.PullRequest pr) {
        BitbucketDataCenterApi.Repository from = pr.fromRef().repository();
        BitbucketDataCenterApi.Repository to = pr.toRef().repository();
        RepositoryRef sourceRepository = from == null || from.project() == null ? null
                : new RepositoryRef(repository.provider(), from.project().key(), from.slug());
        String target = to == null || to.project() == null ? repository.fullName() : to.project().key() + "/" + to.slug();
        boolean fork = sourceRepository == null
                || !sourceRepository.fullName().toLowerCase(Locale.ROOT).equals(target.toLowerCase(Locale.ROOT));
        return new RemotePullRequest(pr.id(), pr.title(), pr.fromRef().displayId(), pr.fromRef().latestCommit(),
                fork ? sourceRepository : repository, fork, pr.toRef().displayId(),
                pr.author() == null || pr.author().user() == null ? null : pr.author().user().displayName());
    }

    private BitbucketDataCenterApi dataCenter(String what) {
        if (config.bitbucket().serverUrl().filter(url -> !url.isBlank()).isEmpty()) {
            throw new BitbucketRefusedException("no Bitbucket Data Center server is configured "
                    + "(TRUNKLINE_BITBUCKET_SERVER_URL) to read " + what);
        }
        return dataCenter.get();
    }

    private static <T> List<T> values(List<T> values) {
        return values == null ? List.of() : values;
    }

    /** A list: a 404 (no such repository) is a refusal like any other 4xx. */
    private static <T> T fetchList(String what, Supplier<T> request) {
        try {
            return fetch(what, request);
        } catch (NotFound e) {
            throw new BitbucketRefusedException("Bitbucket knows no repository for " + what + " (404)");
        }
    }

    /** The answer; 5xx, 408, 429 and network errors: {@link BitbucketUnavailableException}; 404: {@link NotFound}. */
    private static <T> T fetch(String what, Supplier<T> request) {
        try {
            T answer = request.get();
            if (answer == null) {
                throw new BitbucketUnavailableException("Bitbucket answered without a body for " + what, null);
            }
            return answer;
        } catch (WebApplicationException e) {
            int code = e.getResponse().getStatus();
            if (code >= 500 || code == 408 || code == 429) {
                throw new BitbucketUnavailableException("Bitbucket answered " + code + " for " + what, e);
            }
            if (code == 404) {
                throw new NotFound();
            }
            throw new BitbucketRefusedException(code == 401 || code == 403
                    ? "Bitbucket refused access to " + what + " (" + code + "): check TRUNKLINE_BITBUCKET_TOKEN"
                    : "Bitbucket answered " + code + " for " + what);
        } catch (ProcessingException e) {
            throw new BitbucketUnavailableException("Bitbucket could not be reached for " + what + ": "
                    + rootMessage(e), e);
        }
    }

    /** Bitbucket answered 404: for a branch, it has none of that name. */
    private static final class NotFound extends RuntimeException {
        NotFound() {
            super(null, null, false, false);
        }
    }

    /** Whether a failure out of this client (a timeout, an open circuit) means "try later". */
    public static boolean unavailable(Throwable failure) {
        return failure instanceof BitbucketUnavailableException
                || failure instanceof FaultToleranceException;
    }

    private static CommitLookup call(String what, Supplier<String> request) {
        try {
            String hash = request.get();
            return hash == null || hash.isBlank()
                    ? CommitLookup.refused("Bitbucket answered without a hash for " + what) : CommitLookup.found(hash);
        } catch (WebApplicationException e) {
            int code = e.getResponse().getStatus();
            if (code >= 500 || code == 408 || code == 429) {
                throw new BitbucketUnavailableException("Bitbucket answered " + code + " for " + what, e);
            }
            return CommitLookup.refused(switch (code) {
                case 404 -> "Bitbucket knows no " + what;
                case 401, 403 -> "Bitbucket refused access to " + what + " (" + code
                        + "): check TRUNKLINE_BITBUCKET_TOKEN";
                default -> "Bitbucket answered " + code + " for " + what;
            });
        } catch (ProcessingException e) {
            throw new BitbucketUnavailableException("Bitbucket could not be reached for " + what + ": "
                    + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }
}
