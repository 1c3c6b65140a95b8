/**
 * The offline demo behind {@code bin/parley demo}: {@link io.parley.examples.demo.Demo}.
 */
package io.parley.examples.demo;
