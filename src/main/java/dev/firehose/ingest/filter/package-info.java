/**
 * Which posts go on to the stream: small content rules in plain Java (no Camel), each with a name that is used as
 * the {@code rule} label of {@code firehose_posts_filtered_total} and in the DEBUG line of a dropped post.
 * {@link dev.firehose.ingest.filter.PostRules} composes them in a fixed, cheapest-first order; the route's filter
 * EIP calls them through the {@code postFilter} bean.
 */
package dev.firehose.ingest.filter;
