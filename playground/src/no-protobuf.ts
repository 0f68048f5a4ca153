/**
 * Stands in for @datadog/sketches-js's protobuf encoding in the browser build. servesim
 * never encodes a sketch as protobuf (it merges sketches as plain data), and the library
 * requires that code only inside the methods that encode, but a bundler follows every
 * require, and protobufjs is not installed. Reaching the stub would be a bug: it says so.
 */
function unavailable(name: string): object {
  return new Proxy(
    {},
    {
      get() {
        throw new Error(`servesim playground: the protobuf encoding of sketches (${name}) is not bundled; servesim never uses it`);
      },
    },
  );
}

export const DDSketch = unavailable('DDSketch');
export const IndexMapping = unavailable('IndexMapping');
export const Store = unavailable('Store');
