import * as z from 'zod/mini';
import { en } from 'zod/locales';

// zod/mini loads no locale, so zod's own messages ("Too big: expected string to have <=64 characters",
// "Invalid option: expected one of ...") would all read "Invalid input", in 400 responses and in logged
// errors alike. The English locale alone adds about 3 KB to a minified bundle (every locale at once,
// through the namespace's `locales`, about 260 KB). Imported for this effect by the configuration, which
// every function loads, and by the request validation.
z.config(en());
