// `shardline/util-dynamodb`: the same signatures as @aws-sdk/util-dynamodb's unmarshall and convertToNative.
export { unmarshall, convertToNative, NumberValue, UnmarshallOptions, AttributeValue, NativeAttributeValue, NativeImage } from './index';
