/** servesim's version, as `servesim --version` prints it (package.json's). */
export const VERSION = '0.1.0';
