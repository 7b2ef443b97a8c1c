package dev.cairn.server.auth;

/**
 * Who a request acts for, after authentication.
 *
 * @param accountId the account's catalog id
 * @param accountName the account's name
 * @param credential a description for logs and the trash, e.g. {@code token 1a2b3c4d… (laptop)}
 *     or {@code password}
 * @param credentialKey a stable identity of the credential ({@code password} or
 *     {@code token:<id>}): only the credential that began a resumable upload may continue it
 * @param appendOnly true for an append-only device token: its deletes go to the trash
 * @param owner true for the account password, which may use the account API
 */
public record Principal(long accountId, String accountName, String credential, String credentialKey,
                        boolean appendOnly, boolean owner) {
    /** The principal of the server's own background work (retention, collection). */
    public static Principal maintenance(long accountId, String accountName) {
        return new Principal(accountId, accountName, "server maintenance", "maintenance", false, true);
    }

    /** The principal of an administrator acting from the command line. */
    public static Principal admin(long accountId, String accountName) {
        return new Principal(accountId, accountName, "administrator", "admin", false, true);
    }
}
