/** Mirror rows made by the client API for records it created in amoCRM. */
export const SOURCE_API = 'api';
/** Mirror rows of records that already existed in amoCRM when the client API found them. */
export const SOURCE_AMOCRM = 'amocrm';
