package io.trunkline.status.service;

/** {@code workspace/slug} as the API's {@code repository} parameter names a repository (project key for Data Center). */
public record RepositoryName(String workspace, String slug) {

    public static RepositoryName parse(String parameter, String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
            throw new InvalidQueryException(parameter, "must be workspace/slug, e.g. acme/shop");
        }
        return new RepositoryName(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public String toString() {
        return workspace + "/" + slug;
    }
}
