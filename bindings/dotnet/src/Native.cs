using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace Librescue
{
    /// <summary>
    /// Owns one <c>rescue_client*</c>. Passing it to a P/Invoke call keeps the client alive for
    /// that call, so a Dispose on another thread frees it only after the call returns; its
    /// finalizer frees a client that was never disposed.
    /// </summary>
    internal sealed class ClientHandle : SafeHandle
    {
        // Created by the marshaller for rescue_client_new's out parameter.
        private ClientHandle() : base(IntPtr.Zero, true)
        {
        }

        public override bool IsInvalid
        {
            get { return handle == IntPtr.Zero; }
        }

        protected override bool ReleaseHandle()
        {
            Native.rescue_client_free(handle);
            return true;
        }
    }

    /// <summary>The C <c>rescue_pin_request</c>; strings are UTF-8 buffers owned by <see cref="Utf8Strings"/>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct NativePinRequest
    {
        public IntPtr CField0;
        public IntPtr CField1;
        public IntPtr CField2;
        public IntPtr CField3;
        public IntPtr CField4;
        public IntPtr CField5;
        public IntPtr Tracking0;
        public byte NoTechConsole; // C bool: one byte
        public IntPtr AuthCode;

        /// <summary>The C form of <paramref name="request"/> (null: the empty request).</summary>
        public static NativePinRequest From(PinRequest request, Utf8Strings strings)
        {
            NativePinRequest c = new NativePinRequest();
            if (request == null)
            {
                return c;
            }
            c.CField0 = strings.Add(request.CField0, "cfield0", "request");
            c.CField1 = strings.Add(request.CField1, "cfield1", "request");
            c.CField2 = strings.Add(request.CField2, "cfield2", "request");
            c.CField3 = strings.Add(request.CField3, "cfield3", "request");
            c.CField4 = strings.Add(request.CField4, "cfield4", "request");
            c.CField5 = strings.Add(request.CField5, "cfield5", "request");
            c.Tracking0 = strings.Add(request.Tracking0, "tracking0", "request");
            c.NoTechConsole = request.NoTechConsole ? (byte)1 : (byte)0;
            c.AuthCode = strings.Add(request.AuthCode, "authcode", "request");
            return c;
        }
    }

    /// <summary>The C <c>rescue_lens_invitation</c>; strings are owned by <see cref="Utf8Strings"/>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct NativeLensInvitation
    {
        public IntPtr PhoneNumber;
        public IntPtr LangCode;
        public IntPtr NodeId;

        /// <summary>The C form of <paramref name="invitation"/> (null: no invitation, the plain request).</summary>
        public static NativeLensInvitation From(LensInvitation invitation, Utf8Strings strings)
        {
            NativeLensInvitation c = new NativeLensInvitation();
            if (invitation == null)
            {
                return c;
            }
            c.PhoneNumber = strings.Add(invitation.PhoneNumber, "phone_number", "invitation");
            c.LangCode = strings.Add(invitation.LangCode, "lang_code", "invitation");
            c.NodeId = strings.Add(invitation.NodeId, "node_id", "invitation");
            return c;
        }
    }

    /// <summary>
    /// NUL-terminated UTF-8 copies of the strings of one call, in unmanaged memory. Dispose
    /// zeroes them (passwords and authcodes among them) before freeing.
    /// </summary>
    internal sealed class Utf8Strings : IDisposable
    {
        // Throws on a lone surrogate instead of sending U+FFFD in its place.
        private static readonly UTF8Encoding Strict = new UTF8Encoding(false, true);
        private readonly List<KeyValuePair<IntPtr, int>> buffers = new List<KeyValuePair<IntPtr, int>>();

        /// <summary>
        /// A C string of <paramref name="value"/>, <c>IntPtr.Zero</c> for null. A NUL inside
        /// would silently cut the text, so it is refused; <paramref name="name"/> is the C
        /// argument's name for the message (never the value: it may be a secret).
        /// </summary>
        public IntPtr Add(string value, string name, string paramName)
        {
            if (value == null)
            {
                return IntPtr.Zero;
            }
            if (value.IndexOf('\0') >= 0)
            {
                throw new RescueArgumentException(RescueStatus.InvalidArgument,
                    "invalid argument `" + name + "`: contains a NUL character", paramName);
            }
            byte[] bytes;
            try
            {
                bytes = Strict.GetBytes(value);
            }
            catch (EncoderFallbackException)
            {
                throw new RescueArgumentException(RescueStatus.InvalidArgument,
                    "invalid argument `" + name + "`: not valid UTF-16 (a lone surrogate)", paramName);
            }
            int size = bytes.Length + 1;
            IntPtr buffer = Marshal.AllocHGlobal(size);
            buffers.Add(new KeyValuePair<IntPtr, int>(buffer, size));
            Marshal.Copy(bytes, 0, buffer, bytes.Length);
            Marshal.WriteByte(buffer, bytes.Length, 0);
            Array.Clear(bytes, 0, bytes.Length);
            return buffer;
        }

        public void Dispose()
        {
            foreach (KeyValuePair<IntPtr, int> buffer in buffers)
            {
                Marshal.Copy(new byte[buffer.Value], 0, buffer.Key, buffer.Value);
                Marshal.FreeHGlobal(buffer.Key);
            }
            buffers.Clear();
        }
    }

    /// <summary>The functions of <c>rescue.h</c>, one declaration each, and the glue they share.</summary>
    internal static class Native
    {
        // "rescue": librescue.so on Linux, rescue.dll on Windows (found beside the assembly,
        // in runtimes/RID/native of the package, or through the system's library path).
        private const string Library = "rescue";

        // ===== client =====

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint rescue_client_new(IntPtr baseUrl, out ClientHandle client);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void rescue_client_free(IntPtr client);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint rescue_client_set_timeout_ms(ClientHandle client, uint timeoutMs);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint rescue_client_set_ca_file(ClientHandle client, IntPtr pemPath);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint rescue_client_set_system_roots(ClientHandle client,
            [MarshalAs(UnmanagedType.I1)] bool useSystem);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint rescue_client_set_proxy(ClientHandle client, IntPtr proxyUrl);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint rescue_client_set_transport(ClientHandle client, uint transport);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint rescue_client_set_renew_session(ClientHandle client,
            [MarshalAs(UnmanagedType.I1)] bool renew);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint rescue_client_set_login_limit_cooldown_ms(ClientHandle client,
            uint cooldownMs);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint rescue_client_set_allow_plain_http(ClientHandle client,
            [MarshalAs(UnmanagedType.I1)] bool allow);

        // ===== calls =====

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint rescue_login(ClientHandle client, IntPtr email, IntPtr password);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint rescue_logout(ClientHandle client);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint rescue_request_auth_code(ClientHandle client, IntPtr email,
            IntPtr password, [Out] byte[] codeOut, UIntPtr codeOutLen);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint rescue_request_lens_pin(ClientHandle client,
            ref NativePinRequest request, [Out] byte[] pinOut, UIntPtr pinOutLen);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint rescue_request_pin(ClientHandle client,
            ref NativePinRequest request, [Out] byte[] pinOut, UIntPtr pinOutLen);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint rescue_request_lens_pin_invite(ClientHandle client,
            ref NativePinRequest request, ref NativeLensInvitation invitation,
            [Out] byte[] pinOut, UIntPtr pinOutLen, [Out] byte[] smsResultOut, UIntPtr smsResultOutLen);

        // ===== errors and names =====

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        private static extern UIntPtr rescue_last_error_message([Out] byte[] buf, UIntPtr bufLen);

        // Static strings: declared IntPtr so that the marshaller never frees them.
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr rescue_status_name(uint status);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr rescue_version();

        /// <summary>The size of a PIN buffer: six digits and the NUL (RESCUE_PIN_BUFFER_LEN).</summary>
        internal const int PinBufferLength = 7;

        /// <summary>The size of an SMS result buffer (RESCUE_SMS_RESULT_BUFFER_LEN).</summary>
        internal const int SmsResultBufferLength = 128;

        /// <summary>Throws the exception for <paramref name="status"/> unless it is OK.</summary>
        internal static void Check(uint status)
        {
            if (status != 0)
            {
                // Read at once, on the calling thread: the message is per thread.
                throw RescueException.For((RescueStatus)status, LastErrorMessage());
            }
        }

        /// <summary>This thread's message of its last failed call.</summary>
        internal static string LastErrorMessage()
        {
            int length = checked((int)(ulong)rescue_last_error_message(null, UIntPtr.Zero));
            byte[] buffer = new byte[length + 1];
            int written = checked((int)(ulong)rescue_last_error_message(buffer, (UIntPtr)buffer.Length));
            return Encoding.UTF8.GetString(buffer, 0, Math.Min(written, length));
        }

        internal static string StatusName(RescueStatus status)
        {
            return FromStatic(rescue_status_name((uint)status));
        }

        internal static string Version()
        {
            return FromStatic(rescue_version());
        }

        /// <summary>The text before the first NUL of <paramref name="buffer"/>.</summary>
        internal static string FromBuffer(byte[] buffer)
        {
            int end = Array.IndexOf(buffer, (byte)0);
            return Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end);
        }

        // Marshal.PtrToStringUTF8 is not in netstandard2.0.
        private static string FromStatic(IntPtr text)
        {
            int length = 0;
            while (Marshal.ReadByte(text, length) != 0)
            {
                length++;
            }
            byte[] bytes = new byte[length];
            Marshal.Copy(text, bytes, 0, length);
            return Encoding.UTF8.GetString(bytes);
        }
    }
}
