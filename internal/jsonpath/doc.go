// Package jsonpath reads values out of decoded JSON documents with the dot
// paths users write in contact resolution and templates: keys separated by
// dots, array elements by their index (data.object.customer.email, items.0.sku).
package jsonpath
