/**
 * HTTP semantics of the media download endpoint as pure functions: conditional requests (RFC 9110
 * §13), range requests (RFC 9110 §14), HTTP-dates (RFC 9110 §5.6.7) and Content-Disposition with
 * non-ASCII filenames (RFC 6266, RFC 8187). Nothing here knows about a server library; callers
 * pass raw header values in and write the answers out.
 */
package dev.tempmedia.http.semantics;
