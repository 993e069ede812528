/** Sent as `X-Switchyard-SDK` and in reports, so the server can tell SDK versions apart. */
export const SDK_VERSION = "0.1.0";
export const SDK_NAME = `sdk-node/${SDK_VERSION}`;
